-- Evidence (src/modules/evidence): the business's causal graph, versioned, and the analyses
-- run on its numbers. A graph version is immutable: `PUT /v1/evidence/graph` adds version
-- N+1 and keeps the others. Its nodes and edges are rows of their own with their attributes
-- in JSONB (a node's kind, label and whether it is latent; an edge's provenance, confidence,
-- the analysis that supported it, lag and note), so an edge keeps its evidence with it.
-- Version 0 is the default template, computed by the module and never stored.
-- `evidence_analyses` keeps every answered question (effect, why, what_if, intervention,
-- discover) with the exact result returned, the data window used and the graph version.

create table evidence_graphs (
  tenant_id uuid not null references tenants (id) on delete cascade,
  version integer not null check (version >= 1),
  source text not null check (source in ('owner', 'proposal')),
  -- The discover analysis a version was accepted from (source = 'proposal').
  proposal_id uuid,
  note text not null default '',
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, version)
);
alter table evidence_graphs enable row level security;
alter table evidence_graphs force row level security;
create policy evidence_graphs_isolation on evidence_graphs
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert on evidence_graphs to dyocense_app;

create table evidence_graph_nodes (
  tenant_id uuid not null,
  version integer not null,
  node_id text not null check (length(node_id) between 1 and 300),
  position integer not null,
  attrs jsonb not null default '{}'::jsonb,
  primary key (tenant_id, version, node_id),
  foreign key (tenant_id, version) references evidence_graphs (tenant_id, version) on delete cascade
);
alter table evidence_graph_nodes enable row level security;
alter table evidence_graph_nodes force row level security;
create policy evidence_graph_nodes_isolation on evidence_graph_nodes
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert on evidence_graph_nodes to dyocense_app;

create table evidence_graph_edges (
  tenant_id uuid not null,
  version integer not null,
  from_node text not null,
  to_node text not null,
  position integer not null,
  evidence jsonb not null default '{}'::jsonb,
  primary key (tenant_id, version, from_node, to_node),
  check (from_node <> to_node),
  foreign key (tenant_id, version, from_node)
    references evidence_graph_nodes (tenant_id, version, node_id) on delete cascade,
  foreign key (tenant_id, version, to_node)
    references evidence_graph_nodes (tenant_id, version, node_id) on delete cascade
);
alter table evidence_graph_edges enable row level security;
alter table evidence_graph_edges force row level security;
create policy evidence_graph_edges_isolation on evidence_graph_edges
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert on evidence_graph_edges to dyocense_app;

create table evidence_analyses (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null,
  kind text not null check (kind in ('effect', 'why', 'what_if', 'intervention', 'discover')),
  question jsonb not null,
  result jsonb not null,
  data_window jsonb not null,
  summary text not null,
  -- The graph version the answer used: 0 = the default template, null = a graph sent inline.
  graph_version integer,
  duration_ms integer not null check (duration_ms >= 0),
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
alter table evidence_analyses enable row level security;
alter table evidence_analyses force row level security;
create policy evidence_analyses_isolation on evidence_analyses
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index evidence_analyses_recent_idx on evidence_analyses (tenant_id, created_at desc, id);
grant select, insert on evidence_analyses to dyocense_app;
