"""Bonus and fee settlement (结算) of a scored period, and the statement both parties sign."""
