/* The browsable API's CSRF set-up (DRF's rest_framework/js/csrf.js, with its global getCookie), reading the header name and token
   from the data attributes of #drf_csrf instead of an inline <script> block, which the Content Security
   Policy refuses. Used by templates/rest_framework/api.html; needs jQuery. */
(function () {
  "use strict";
  var data = document.getElementById("drf_csrf").dataset;
  window.drf = { csrfHeaderName: data.csrfHeaderName, csrfToken: data.csrfToken };

  // DRF's default.js calls the global getCookie() that its csrf.js defines (for the form tab remembered).
  window.getCookie = function (name) {
    var cookies = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < cookies.length; i++) {
      var cookie = cookies[i].trim();
      if (cookie.substring(0, name.length + 1) === name + "=") {
        return decodeURIComponent(cookie.substring(name.length + 1));
      }
    }
    return null;
  };

  function csrfSafeMethod(method) {
    return /^(GET|HEAD|OPTIONS|TRACE)$/.test(method);
  }

  function sameOrigin(url) {
    var host = document.location.host;
    var protocol = document.location.protocol;
    var srOrigin = "//" + host;
    var origin = protocol + srOrigin;
    return (
      url === origin || url.slice(0, origin.length + 1) === origin + "/" ||
      url === srOrigin || url.slice(0, srOrigin.length + 1) === srOrigin + "/" ||
      !/^(\/\/|http:|https:).*/.test(url)
    );
  }

  jQuery.ajaxSetup({
    beforeSend: function (xhr, settings) {
      if (!csrfSafeMethod(settings.type) && sameOrigin(settings.url)) {
        xhr.setRequestHeader(window.drf.csrfHeaderName, window.drf.csrfToken);
      }
    }
  });
})();
