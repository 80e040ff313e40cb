-- Migration number: 0008 	 2025-04-14T09:00:00.000Z
-- Links between pages, for backlinks. A link names its target; deleting either page
-- deletes the link.
CREATE TABLE page_links (
    from_page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    to_page_id   INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    PRIMARY KEY (from_page_id, to_page_id)
) WITHOUT ROWID;
CREATE INDEX page_links_to_page_id_idx ON page_links(to_page_id);
