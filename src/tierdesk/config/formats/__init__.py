"""tierdesk's date formats per language (FORMAT_MODULE_PATH); see tierdesk.web.formats."""
