--! Message: Data export needs the exportData permission

--!include reports/data-export.sql
