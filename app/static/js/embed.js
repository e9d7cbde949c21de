// The questionnaire in a partner's frame (app/web/embed.py): the partner's page is told how
// tall the page in the frame is, so that the frame grows and shrinks with it instead of
// scrolling inside (the embed snippet listens for this message). Without JavaScript, or
// without the snippet's script, the frame keeps its first height and scrolls.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var origins = (document.body.getAttribute("data-embed-origins") || "").split(" ");
  // the partner's page itself where the browser says which it is (a message to another of
  // the partner's origins would only be refused, with an error in the page's console)
  var ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length && origins.indexOf(ancestors[0]) >= 0) {
    origins = [ancestors[0]];
  }
  var sent = 0;
  function tell() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === sent) { return; }
    sent = height;
    // sent only to the origins the partner's key allows: no other page learns anything
    origins.forEach(function (origin) {
      if (origin) { window.parent.postMessage({ type: "csmb:height", height: height }, origin); }
    });
  }
  if (window.ResizeObserver) {
    new window.ResizeObserver(tell).observe(document.documentElement);
  } else {
    window.addEventListener("resize", tell);
  }
  window.addEventListener("load", tell);
  tell();
})();
