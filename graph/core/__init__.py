"""The ground every layer stands on: namespaces, IRIs, settings, place-name folding,
countries, subdivisions and the published store layout."""
