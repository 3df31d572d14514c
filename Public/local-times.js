// Shows each <time data-local> in the viewer's own zone; the server wrote it in UTC. A page
// that swaps in new markup (the inbox) calls trestleLocalTimes on it again.
function trestleLocalTimes(root) {
  root.querySelectorAll("time[data-local]").forEach((element) => {
    const date = new Date(element.getAttribute("datetime"));
    if (isNaN(date)) return;
    element.textContent = date.toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  });
}
trestleLocalTimes(document);
