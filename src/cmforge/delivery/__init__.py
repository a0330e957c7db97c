"""What a delivered file must be: the delivery standards and output formats (`standards.py`,
at the bottom of the layers, used by validation, mastering, the manifest and `check`), and
`cmforge check`, the delivery lint for any video (`check.py`, `facts.py`, `judge.py`).

Nothing is imported here, so that reading the table does not load the lint (which runs FFmpeg).
"""
