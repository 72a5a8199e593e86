"""Adam, the optimiser of the index's two fits (classifier.py, tuning.py), on named arrays.

One source for the update both fits take: moments kept per parameter, bias-corrected, the
parameters changed in place and kept float32.
"""

from __future__ import annotations

import numpy as np

BETA1 = 0.9
BETA2 = 0.999
EPS = 1e-8


class Adam:
    """Adam's moments for some named float32 arrays, which `step` updates in place."""

    def __init__(self, params: dict[str, np.ndarray], rate: float) -> None:
        self.params = params
        self.rate = rate
        self.steps = 0
        self.moments = {name: (np.zeros_like(p), np.zeros_like(p)) for name, p in params.items()}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        """One update of every parameter from its gradient."""
        self.steps += 1
        for name, grad in grads.items():
            m, v = self.moments[name]
            m *= BETA1
            m += (1 - BETA1) * grad
            v *= BETA2
            v += (1 - BETA2) * grad * grad
            m_hat = m / (1 - BETA1**self.steps)
            v_hat = v / (1 - BETA2**self.steps)
            self.params[name] -= (self.rate * m_hat / (np.sqrt(v_hat) + EPS)).astype(np.float32)
