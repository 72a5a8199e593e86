"""PURE retrieval for the assistant and the community: embeddings, lexical index, fusion."""
