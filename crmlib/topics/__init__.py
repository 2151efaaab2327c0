"""The CRM logic, one module per topic (segmentation, RFM, SERVQUAL, NPS …), shared by all projects."""
