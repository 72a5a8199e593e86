"""The help center: whether its search also ranks by meaning (multilingual sentence embeddings)."""

from .env import env_bool

# On: search entries carry an embedding and a query is fused with its nearest neighbours
# (knowledge/selectors/semantic.py). Off: words only, and no sentence encoder is loaded.
KNOWLEDGE_SEMANTIC_SEARCH = env_bool("KNOWLEDGE_SEMANTIC_SEARCH", True)
