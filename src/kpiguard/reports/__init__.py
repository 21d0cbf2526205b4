"""Documents built from plans and scores (the contract, review packs), and their renderers.

A builder turns domain objects into a ``document.Document`` (frozen sections, paragraphs, term
lists, tables); renderers turn that one object into HTML, Markdown or PDF, so every format says
exactly the same thing.
"""
