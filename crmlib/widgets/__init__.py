"""Interactive views (ipywidgets), one module per widget, each a thin layer
over a pure crmlib function. Under nbgrader they render static HTML (see crmlib.course.ui)."""
