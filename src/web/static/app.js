// Mixtape pages work without JavaScript; this adds "play all", one player at a time, and
// staff notation drawn by abcjs from the track's ABC.
(function () {
  'use strict';
  function ready(fn) {
    if (document.readyState !== 'loading') fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }
  ready(function () {
    var players = Array.prototype.slice.call(document.querySelectorAll('audio[data-track]'));
    // One player at a time.
    players.forEach(function (a) {
      a.addEventListener('play', function () {
        players.forEach(function (b) { if (b !== a) b.pause(); });
      });
    });
    var all = document.getElementById('play-all');
    var status = document.getElementById('now-playing');
    if (all && players.length) {
      var index = -1;
      var playAt = function (i) {
        index = i;
        if (i >= players.length) { if (status) status.textContent = 'Played the whole mixtape.'; return; }
        var a = players[i];
        var row = a.closest('li');
        var title = row ? row.querySelector('.title') : null;
        if (status) status.textContent = 'Now playing ' + (i + 1) + ' of ' + players.length + (title ? ': ' + title.textContent : '');
        a.preload = 'auto';
        var p = a.play();
        if (p && p.catch) p.catch(function () { playAt(i + 1); });
      };
      players.forEach(function (a, i) {
        a.addEventListener('ended', function () { if (index === i) playAt(i + 1); });
      });
      all.addEventListener('click', function () { playAt(0); });
    }
    var target = document.getElementById('notation');
    var abc = document.getElementById('abc-text');
    if (target && abc && window.ABCJS) {
      try {
        window.ABCJS.renderAbc(target, abc.textContent, { responsive: 'resize', add_classes: true });
        target.setAttribute('data-rendered', 'true');
      } catch (e) {
        target.textContent = 'The notation could not be drawn; the ABC text is below.';
      }
    }
  });
})();
