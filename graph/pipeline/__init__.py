"""The build: its stages, RDF output, dumps, reports and progress display.

:func:`graph.pipeline.build.build` is the entry point; each stage has its own module, in the
order the build runs them:

* :mod:`~graph.pipeline.config`: the sources a build reads, its TOML config, its error;
* :mod:`~graph.pipeline.builder`: one build's state, the read and load stages, stage timing;
* :mod:`~graph.pipeline.normalise`: countries, authority keys and concepts of each record;
* :mod:`~graph.pipeline.reconciling`: GeoNames and register matches of each authority;
* :mod:`~graph.pipeline.rdfize`: records and matches as quads, one named graph per source;
* :mod:`~graph.pipeline.validating`: the shapes over the loaded store, violating records out;
* :mod:`~graph.pipeline.recommending`: the partner model fitted on the validated graph;
* :mod:`~graph.pipeline.reports`: rejects, reconciliation and summary.json's counts;
* :mod:`~graph.pipeline.dumps`: N-Quads and Turtle dumps and the on-disk store;
* :mod:`~graph.pipeline.progress`: what a person at a terminal sees meanwhile.

Beside the build, :mod:`~graph.pipeline.listings` maps the Wikipedia file's rows to a published
graph's pairs as the build does, to tell which side's list states each pair (for the
recommender's cross-source evaluation).

Where each part goes in a build folder, and the switch that publishes it, are the layout's
(:mod:`graph.core.store_layout`).
"""
