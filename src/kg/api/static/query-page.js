// The query page: YASGUI on this server's /sparql, with the named queries of queries/ as tabs.
(async function () {
  const endpoint = new URL("/sparql", window.location.origin).toString();
  // Every tab, the first one included, asks this server (YASGUI's default is a public endpoint).
  Yasgui.defaults.requestConfig.endpoint = endpoint;
  Yasgui.defaults.requestConfig.method = "POST";
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null, // always start from the server's queries, not a stale local copy
    yasqe: { resizeable: true },
  });
  const response = await fetch("/queries.json");
  const queries = await response.json();
  const menu = document.getElementById("queries");
  menu.append("Câu hỏi mẫu / Named queries: ");
  let first = true;
  for (const query of queries) {
    const button = document.createElement("button");
    button.textContent = query.name;
    button.title = query.question;
    button.addEventListener("click", () => openQuery(query, true));
    menu.append(button);
    if (first) { openQuery(query, false); first = false; }
  }

  function openQuery(query, run) {
    const existing = Object.values(yasgui._tabs || {}).find((tab) => tab.getName() === query.name);
    const tab = existing || yasgui.addTab(true, { ...Yasgui.Tab.getDefaults(), name: query.name });
    yasgui.selectTabId(tab.getId());
    tab.setQuery(query.text);
    if (run) tab.query();
  }
  // Data IRIs in results lead to this server's pages, not off to the public base (as LodView does).
  const config = await (await fetch("/page-config.json")).json();
  const localize = () => {
    for (const link of document.querySelectorAll(`#yasgui a[href^="${config.base_iri}"]`)) {
      link.href = "/id/" + link.getAttribute("href").slice(config.base_iri.length);
      link.removeAttribute("target");
    }
  };
  new MutationObserver(localize).observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  window.kgYasgui = yasgui;
})();
