"""Views of the graph for people and other tools: pictures, exchange formats and an offline page.

One module per format behind the contract in `kg.export.base` (`Exporter`, `FORMATS`, `export()`).
"""
