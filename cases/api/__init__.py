"""The REST API (DRF): thin views over the ``cases`` services and selectors."""
