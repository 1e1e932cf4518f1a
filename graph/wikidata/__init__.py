"""Twinning KG and Wikidata, both ways.

* :mod:`graph.wikidata.harvest` fetches every "twinned administrative body" (P190) statement
  from or to the authorities of some countries, with qualifiers, ranks, labels and codes, into
  a cache file (:class:`graph.ingest.harvest_cache.Harvest`);
* :mod:`graph.ingest.sources.wikidata` reads that cache as a build source (``wikidata:FILE``);
* :mod:`graph.wikidata.reconcile` links the other sources' authorities to Q-ids;
* :mod:`graph.wikidata.giveback` lists what we know that Wikidata lacks, as a report and as
  QuickStatements, and the reverse;
* :mod:`graph.views.wikidata_examples` holds federated example queries for the query gallery.
"""
