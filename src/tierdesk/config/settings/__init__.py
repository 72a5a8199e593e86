"""tierdesk settings, split by concern; every value can be overridden from the environment."""

from .cases import *  # noqa: F403
from .core import *  # noqa: F403
from .database import *  # noqa: F403
from .email import *  # noqa: F403
from .i18n import *  # noqa: F403
from .knowledge import *  # noqa: F403
from .logging import *  # noqa: F403
from .phone import *  # noqa: F403
from .security import *  # noqa: F403
from .static import *  # noqa: F403
from .tasks import *  # noqa: F403
