// Starts rasa-webchat (window.WebChat, /rasa-webchat.js) against the Rasa server named in this
// script tag's data-server. The browser's language goes as customData, which HubGuide's
// socket.io channel reads as message metadata (the locale hint of a first message).
(function () {
  var script = document.currentScript;
  var server = script.getAttribute("data-server");
  var locale = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  window.WebChat.default(
    {
      selector: "#rasa-webchat",
      initPayload: "/get_started",
      customData: { language: locale },
      socketUrl: server,
      socketPath: "/socket.io/",
      title: "HubGuide",
      params: { storage: "local" },
    },
    null
  );
})();
