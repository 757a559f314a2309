"""Exports on a queue: chart images and board packs made by export workers (``make cluster``), or by a
thread pool in the web process (``make run``), through one interface (``exports.spec.Exporter``)."""
