"""Writes of the privacy app: exports of one person's data (exports.py, built by archive.py)
and erasure (erasure.py)."""

from .erasure import person_erase
from .exports import export_build, export_download, export_request

__all__ = ["export_build", "export_download", "export_request", "person_erase"]
