"""Articles from the web: safe fetching (`fetch`) and a page's main text as a document (`page`)."""
