"""RSS and Atom feeds: their stored state, their entries read with feedparser, and one poll of one feed."""
