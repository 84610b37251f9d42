/* Switchboard portal: a Live Chat channel's office hours and holidays (message_channel/livechat_hours),
   edited on the Channels page. Hand-written, no build step. */
(function () {
  'use strict';
  var box = document.getElementById('hours-box'), portal = window.SwitchboardPortal;
  if (!box || !portal) { return; }
  var form = document.getElementById('hours-form'), channelID = '';
  var days = Array.prototype.slice.call(form.querySelectorAll('tr[data-day]')).map(function (tr) { return tr.getAttribute('data-day'); });
  function $(id) { return document.getElementById(id); }

  function fill(hours) {
    $('hours-offset').value = String(hours.utc_offset || 0);
    days.forEach(function (day) {
      var range = (hours.hours || []).filter(function (h) { return h.day === day; })[0];
      $('hours-' + day + '-open').checked = !!range;
      if (range) { $('hours-' + day + '-start').value = range.start; $('hours-' + day + '-end').value = range.end; }
    });
    $('hours-holidays').value = (hours.holidays || []).join('\n');
  }

  /* The request body; each open day's "To" field is named after its place in `hours` for errors. */
  function body() {
    var hours = [];
    days.forEach(function (day) {
      var end = $('hours-' + day + '-end');
      end.removeAttribute('data-field');
      if (!$('hours-' + day + '-open').checked) { return; }
      end.setAttribute('data-field', 'hours[' + hours.length + ']');
      hours.push({ day: day, start: $('hours-' + day + '-start').value, end: end.value });
    });
    var holidays = $('hours-holidays').value.split(/[\s,]+/).filter(Boolean);
    return { id: Number(channelID), utc_offset: Number($('hours-offset').value), hours: hours, holidays: holidays };
  }

  Array.prototype.slice.call(document.querySelectorAll('[data-hours]')).forEach(function (button) {
    button.addEventListener('click', function () {
      channelID = button.getAttribute('data-hours');
      $('hours-channel').textContent = button.getAttribute('data-name');
      portal.clearErrors(form);
      form.querySelector('.result').hidden = true;
      portal.call('message_channel/livechat_hours', null, 'GET', { id: channelID }).then(function (answer) {
        fill(answer.errcode === 0 ? answer.data : {});
        box.hidden = false;
        $('hours-offset').focus();
      });
    });
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    portal.clearErrors(form);
    var result = form.querySelector('.result');
    result.hidden = true;
    portal.call('message_channel/livechat_hours', body()).then(function (answer) {
      if (answer.errcode !== 0) { portal.showErrors(form, answer); return; }
      result.textContent = 'Saved.';
      result.hidden = false;
    });
  });
}());
