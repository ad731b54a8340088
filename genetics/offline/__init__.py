"""The offline engine: landmark-and-texture synthesis with region genes; needs only dlib's files.

See :mod:`genetics.offline.engine` for the method and ``genetics/README.md`` for its use.
"""

from genetics.offline.engine import OfflineEngine, build_pool, default_pool, prepare_face
from genetics.offline.pool import GenePool, PoolFace, PoolSelection

__all__ = ["GenePool", "OfflineEngine", "PoolFace", "PoolSelection", "build_pool", "default_pool", "prepare_face"]
