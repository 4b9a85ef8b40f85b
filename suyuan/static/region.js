// "Find my city" on the scan page: with the consumer's consent the browser's position is
// matched to the nearest provincial capital HERE, on the phone; only the region code it
// picks is sent, when the consumer presses "Share region". Coordinates never leave the page.
(function () {
  "use strict";
  // GB/T 2260 code -> [latitude, longitude] of the capital (city codes for those we list).
  var CENTRES = {
    "110000": [39.90, 116.40], "120000": [39.13, 117.20], "130000": [38.04, 114.51],
    "140000": [37.87, 112.55], "150000": [40.84, 111.75], "210000": [41.80, 123.43],
    "220000": [43.82, 125.32], "230000": [45.80, 126.53], "310100": [31.23, 121.47],
    "320000": [32.06, 118.80], "330100": [30.27, 120.15], "340000": [31.82, 117.23],
    "350000": [26.07, 119.30], "360000": [28.68, 115.86], "370000": [36.65, 117.12],
    "410000": [34.75, 113.63], "420000": [30.59, 114.31], "430000": [28.23, 112.94],
    "440100": [23.13, 113.26], "450000": [22.82, 108.37], "460000": [20.04, 110.20],
    "500000": [29.56, 106.55], "510000": [30.57, 104.07], "520000": [26.65, 106.63],
    "530000": [25.04, 102.71], "540000": [29.65, 91.14], "610000": [34.34, 108.94],
    "620100": [36.06, 103.83], "620500": [34.58, 105.72], "620800": [35.54, 106.66],
    "621000": [35.71, 107.64], "630000": [36.62, 101.78], "640000": [38.49, 106.23],
    "650000": [43.83, 87.62], "710000": [25.03, 121.56], "810000": [22.32, 114.17],
    "820000": [22.20, 113.54]
  };

  function nearest(lat, lon) {
    var best = null, bestDistance = Infinity;
    Object.keys(CENTRES).forEach(function (code) {
      var c = CENTRES[code];
      var dLat = c[0] - lat, dLon = (c[1] - lon) * Math.cos(lat * Math.PI / 180);
      var distance = dLat * dLat + dLon * dLon;
      if (distance < bestDistance) { best = code; bestDistance = distance; }
    });
    return best;
  }

  function init() {
    var button = document.getElementById("locate");
    var select = document.getElementById("region");
    var status = document.getElementById("locate-status");
    if (!button || !select || !navigator.geolocation) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        var code = nearest(position.coords.latitude, position.coords.longitude);
        var option = select.querySelector('option[value="' + code + '"]') ||
          select.querySelector('option[value="' + code.slice(0, 2) + '0000"]');
        if (option) { select.value = option.value; status.textContent = option.textContent; }
      }, function () {
        status.textContent = button.getAttribute("data-error");
      }, { enableHighAccuracy: false, maximumAge: 600000, timeout: 10000 });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
