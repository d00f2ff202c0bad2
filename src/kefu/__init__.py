"""kefu (客服): a self-hostable intelligent customer-service platform."""

__version__ = "0.1.0"
