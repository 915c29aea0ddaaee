"""The knowledge of briefbot: articles, typed facts with sources, and answers; knows nothing of chat."""
