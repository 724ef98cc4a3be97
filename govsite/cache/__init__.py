"""The build cache (构建缓存): one layer that every stage calls, never a concern each re-implements.

* :mod:`~govsite.cache.digest` — keys: digests of values and files, code and template fingerprints;
* :mod:`~govsite.cache.store` — the SQLite file, :class:`~govsite.cache.store.BuildCache` and the
  null cache a build without one gets;
* :mod:`~govsite.cache.tables` — one typed table per kind of entry, with its key function;
* :mod:`~govsite.cache.reads` — what templates read, so an unchanged file is not rendered again;
* :mod:`~govsite.cache.stamp` — the whole-build shortcut (nothing changed: the previous output).
"""
