// The query page: YASGUI on this server's /sparql, with the named queries of queries/ as tabs.
// The editor completes the ontology's classes, properties and codes and declares their prefixes;
// results show data IRIs by their labels, as links to their pages on this server (as LodView
// does), and literals without their datatypes. Tabs are kept across reloads; a share link
// (YASGUI's button) opens the same query.
(async function () {
  const endpoint = new URL("/sparql", window.location.origin).toString();
  const [config, queries] = await Promise.all([getJson("/page-config.json"), getJson("/queries.json")]);
  // YASGUI reads a share link's query from the address and then clears it: look before it does.
  const openedFromLink = new URLSearchParams(window.location.hash.slice(1)).has("query");
  completeFromTheOntology(config);
  showLabelledResults(config);
  // Every tab, the first one included, asks this server (YASGUI's default is a public endpoint).
  Yasgui.defaults.requestConfig.endpoint = endpoint;
  Yasgui.defaults.requestConfig.method = "POST";
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: "kg-query-page",
    yasqe: { resizeable: true, value: starterQuery(config.prefixes) },
  });

  const menu = document.getElementById("queries");
  menu.append("Câu hỏi mẫu / Named queries: ");
  for (const query of queries) {
    const button = document.createElement("button");
    button.textContent = query.name;
    button.title = query.question;
    button.addEventListener("click", () => openQuery(query, true));
    menu.append(button);
  }
  const names = new Set(queries.map((query) => query.name));
  const hasNamedTab = Object.values(yasgui._tabs || {}).some((tab) => names.has(tab.getName()));
  if (!openedFromLink && !hasNamedTab && queries.length) openQuery(queries[0], false);

  function openQuery(query, run) {
    const existing = Object.values(yasgui._tabs || {}).find((tab) => tab.getName() === query.name);
    const tab = existing || yasgui.addTab(true, { ...Yasgui.Tab.getDefaults(), name: query.name });
    yasgui.selectTabId(tab.getId());
    tab.setQuery(query.text);
    if (run) tab.query();
  }
  window.kgYasgui = yasgui;
})();

async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function starterQuery(prefixes) {
  const declared = ["cpv", "org", "foaf", "rdfs", "skos", "dcterms", "prov", "role", "ot"]
    .filter((name) => prefixes[name])
    .map((name) => `PREFIX ${name}: <${prefixes[name]}>`)
    .join("\n");
  return `${declared}\n\nSELECT ?person ?name WHERE {\n  ?person a cpv:Person ; foaf:name ?name .\n}\nLIMIT 20\n`;
}

function prefixed(iri, prefixes) {
  for (const [name, namespace] of Object.entries(prefixes)) {
    if (iri.startsWith(namespace)) return `${name}:${iri.slice(namespace.length)}`;
  }
  return null;
}

function expand(text, prefixes) {
  const colon = text.indexOf(":");
  const namespace = colon > 0 ? prefixes[text.slice(0, colon)] : undefined;
  return namespace ? namespace + text.slice(colon + 1) : text.replace(/^<|>$/g, "");
}

// YASQE's own completers ask prefix.cc and LOV on the internet; these answer from the ontology.
function completeFromTheOntology(config) {
  const Yasqe = Yasgui.Yasqe;
  const completers = Yasqe.Autocompleters;
  const withLabels = (_yasqe, hints) =>
    hints.map((hint) => {
      const label = config.labels[expand(hint.text, config.prefixes)];
      return label ? { ...hint, displayText: `${hint.text}   ${label}` } : hint;
    });
  const local = (base, terms) => ({
    ...base,
    bulk: true,
    autoShow: true,
    persistenceId: null,
    get: () => terms,
    postprocessHints: withLabels,
  });
  const declarations = Object.entries(config.prefixes).map(([name, iri]) => `${name}: <${iri}>`);
  // Typing "cpv:" in a query without its PREFIX line adds the line (YASQE's prefix completer).
  completers.prefixes = { ...completers.prefixes, persistenceId: null, get: () => declarations.sort() };
  completers.class = local(completers.class, config.classes);
  completers.property = local(completers.property, config.properties);
  const codeNamespaces = [...new Set(config.codes.map((iri) => iri.slice(0, iri.lastIndexOf("/") + 1)))];
  const codePrefixes = Object.keys(config.prefixes).filter((name) => codeNamespaces.includes(config.prefixes[name]));
  Yasqe.registerAutocompleter({
    ...local(completers.class, config.codes),
    name: "code",
    isValidCompletionPosition: (yasqe) => {
      const token = yasqe.getCompleteToken().string;
      return codePrefixes.some((name) => token.startsWith(`${name}:`));
    },
  });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// The table plugin, showing IRIs by label and literals by value alone (the datatype or language
// is in the tooltip).
function showLabelledResults(config) {
  const Table = Yasgui.Yasr.plugins.table;
  const known = new Map(); // IRI -> {label, page}, or null when the server has neither

  async function learn(results) {
    const wanted = new Set();
    for (const row of results ? results.getBindings() || [] : []) {
      for (const term of Object.values(row)) {
        if (term && term.type === "uri" && !known.has(term.value)) wanted.add(term.value);
      }
    }
    const iris = [...wanted];
    for (let start = 0; start < iris.length && start < 5000; start += 1000) {
      const chunk = iris.slice(start, start + 1000);
      try {
        const response = await fetch("/api/v1/labels", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(chunk),
        });
        const found = response.ok ? await response.json() : {};
        for (const iri of chunk) known.set(iri, found[iri] || null);
      } catch (error) {
        console.warn("labels:", error);
        return;
      }
    }
  }

  class LabelledTable extends Table {
    async draw(persistentConfig) {
      await learn(this.yasr.results);
      return super.draw(persistentConfig);
    }
    getUriLinkFromBinding(binding, prefixes) {
      const iri = binding.value;
      const entry = known.get(iri);
      const page = (entry && entry.page) || (iri.startsWith(config.base_iri) ? "/id/" + iri.slice(config.base_iri.length) : null);
      if (!page && !(entry && entry.label)) return super.getUriLinkFromBinding(binding, prefixes);
      const text = (entry && entry.label) || prefixed(iri, { ...config.prefixes, ...prefixes }) || iri;
      return `<a class="iri kg-local" href="${escapeHtml(page || iri)}" title="${escapeHtml(iri)}">${escapeHtml(text)}</a>`;
    }
    formatLiteral(binding, prefixes) {
      const note = binding["xml:lang"]
        ? `@${binding["xml:lang"]}`
        : binding.datatype
          ? prefixed(binding.datatype, { ...config.prefixes, ...prefixes }) || binding.datatype
          : "";
      const value = escapeHtml(binding.value);
      return note ? `<span title="${escapeHtml(note)}">${value}</span>` : value;
    }
  }
  Yasgui.Yasr.registerPlugin("table", LabelledTable);
}
