"""StyleGene engine: the official StyleGene model family reimplemented in plain PyTorch.

Modules: ``stylegan2`` (generator), ``e4e`` (image -> W+ encoder), ``mappers`` (W+ <-> region genes),
``fairface`` (race/gender/age classifier), ``checkpoints`` (verified loading of the released files),
``crossover`` (gene crossover and mutation), ``gene_pool`` and ``engine`` (:class:`StyleGeneEngine`).
Importing this package loads no weights and imports no torch; the submodules do.
"""
