"""The assistant's pages: the widget's endpoints, the full page, FAQ entries, the staff's pages."""
