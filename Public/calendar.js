// Dragging a post to another day of the calendar moves it there, at the same time of day in the
// viewer's zone; the page then reloads to show where everything stands. The zone is kept in a
// cookie so the calendar opens in it next time.
(() => {
  "use strict";
  const calendar = document.getElementById("calendar");
  if (!calendar) return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  document.cookie = "trestle_zone=" + encodeURIComponent(zone) + "; path=/; SameSite=Lax; max-age=31536000";
  if (calendar.dataset.zone !== zone && !location.search.includes("zone=")) {
    const url = new URL(location.href);
    url.searchParams.set("zone", zone);
    location.replace(url);
    return;
  }
  calendar.querySelectorAll("[data-delivery]").forEach((item) => {
    item.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", item.dataset.delivery);
      event.dataTransfer.effectAllowed = "move";
    });
  });
  calendar.querySelectorAll("[data-day]").forEach((day) => {
    day.addEventListener("dragover", (event) => { event.preventDefault(); day.classList.add("drop"); });
    day.addEventListener("dragleave", () => day.classList.remove("drop"));
    day.addEventListener("drop", async (event) => {
      event.preventDefault();
      day.classList.remove("drop");
      const delivery = event.dataTransfer.getData("text/plain");
      if (!delivery) return;
      const body = new URLSearchParams({ day: day.dataset.day, zone });
      const response = await fetch(calendar.dataset.moveUrl + delivery + "/move", {
        method: "POST", body, headers: { "X-CSRF-Token": calendar.dataset.csrf },
      });
      if (!response.ok) alert("This post could not be moved: " + ((await response.text()).slice(0, 200) || response.status));
      location.reload();
    });
  });
})();
