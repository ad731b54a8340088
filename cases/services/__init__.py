"""Every write in the ``cases`` app goes through a function here (``<entity>_<action>``)."""
