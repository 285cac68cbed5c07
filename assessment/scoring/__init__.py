"""Pure scorers over transcripts: no Django, no I/O (DESIGN.md)."""
