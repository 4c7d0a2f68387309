"""Catalogue schema, loaders, ingestion into Chroma and hybrid retrieval."""
