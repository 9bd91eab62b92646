"""Shared building blocks used by every app: bilingual fields, template tags, access helpers."""
