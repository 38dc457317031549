-- The tracker store's own database beside the knowledge base (deploy/compose.yaml runs this once,
-- when the PostgreSQL volume is created).
CREATE DATABASE hubguide_conversations OWNER hubguide;
