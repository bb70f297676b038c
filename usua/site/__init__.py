"""The offline explorer: ``usua site --out site/`` (needs ``pip install "usua[site]"``)."""

from .build import build_site

__all__ = ["build_site"]
