/* canmem runner: results as TAP (standard output, for make check and
 * people), JSON (for the driver and reports) and JUnit XML (for CI).
 * docs/runner.md describes all three. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

void cmr_count(cmr_counts *c, cmr_verdict verdict) {
  c->total++;
  switch (verdict) {
  case CMR_PASS: c->passed++; break;
  case CMR_FAIL: c->failed++; break;
  case CMR_SKIP: c->skipped++; break;
  case CMR_XFAIL: c->xfail++; break;
  case CMR_XPASS: c->xpass++; break;
  case CMR_ERROR: c->errors++; break;
  }
}

bool cmr_counts_ok(const cmr_counts *c) {
  return c->failed == 0 && c->xpass == 0 && c->errors == 0;
}

static const char *title_of(const cmr_entry *e) {
  return e->parsed && e->vector.title ? e->vector.title : "";
}

static const char *reading_name(const cmr_entry *e, size_t i) {
  const cmr_reading_match *m = &e->result.readings[i];
  const cmr_expectation *x = &e->vector.steps[m->step].expect;
  if (m->alternative < 0 || (size_t)m->alternative >= x->alternative_count)
    return "?";
  return x->alternatives[m->alternative].reading;
}

/* ---- TAP ---- */

/* A YAML scalar: double-quoted, or a literal block when it has several
 * lines (wat2wasm's messages with their source excerpt). */
static void yaml_string(FILE *out, const char *s) {
  if (s && strchr(s, '\n')) {
    fputs("|-", out);
    for (const char *p = s; *p;) {
      const char *end = strchr(p, '\n');
      size_t n = end ? (size_t)(end - p) : strlen(p);
      fputs("\n    ", out);
      for (size_t i = 0; i < n; i++)
        fputc((unsigned char)p[i] < 0x20 && p[i] != '\t' ? '?' : p[i], out);
      p += n;
      if (*p)
        p++;
    }
    return;
  }
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", out);
    else if (*p < 0x20 || *p == 0x7f)
      fprintf(out, "\\x%02x", *p);
    else
      fputc(*p, out);
  }
  fputc('"', out);
}

/* Directive text must stay on one line. */
static void one_line(FILE *out, const char *s) {
  for (const char *p = s ? s : ""; *p; p++)
    fputc(*p == '\n' || *p == '\r' || *p == '#' ? ' ' : *p, out);
}

void cmr_tap_entry(FILE *out, size_t number, const cmr_entry *e) {
  const cmr_result *r = &e->result;
  bool ok = r->verdict == CMR_PASS || r->verdict == CMR_SKIP ||
            r->verdict == CMR_XPASS;
  fprintf(out, "%s %zu - %s", ok ? "ok" : "not ok", number, e->id);
  if (title_of(e)[0]) {
    fputs(": ", out);
    one_line(out, title_of(e));
  }
  switch (r->verdict) {
  case CMR_SKIP:
    fputs(" # SKIP ", out);
    one_line(out, r->reason);
    break;
  case CMR_XFAIL:
    fputs(" # TODO expected to fail: ", out);
    one_line(out, r->reason);
    break;
  case CMR_XPASS:
    /* TAP consumers count a passing TODO as an unexpected pass */
    fputs(" # TODO passed but expected to fail (update the expectation "
          "file): ",
          out);
    one_line(out, r->reason);
    break;
  default: break;
  }
  fputc('\n', out);
  if (r->verdict == CMR_PASS && r->reading_count) {
    for (size_t i = 0; i < r->reading_count; i++)
      fprintf(out, "# %s: step %zu follows the reading '%s'\n", e->id,
              r->readings[i].step + 1, reading_name(e, i));
  }
  if (r->verdict != CMR_FAIL && r->verdict != CMR_ERROR &&
      r->verdict != CMR_XFAIL && r->verdict != CMR_XPASS)
    return;
  fputs("  ---\n", out);
  fprintf(out, "  outcome: %s\n", cmr_verdict_name(r->verdict));
  if (r->verdict == CMR_XPASS) {
    fputs("  why: ", out);
    yaml_string(out, "the expectation file marks this vector xfail, but it "
                     "passed");
    fputc('\n', out);
  } else if (r->reason) {
    fputs("  why: ", out);
    yaml_string(out, r->reason);
    fputc('\n', out);
  }
  if (r->expected) {
    /* expected and actual aligned, one above the other */
    fputs("  expected: ", out);
    yaml_string(out, r->expected);
    fputs("\n  actual:   ", out);
    yaml_string(out, r->actual);
    fputc('\n', out);
    if (r->message && r->message[0]) {
      fputs("  message:  ", out);
      yaml_string(out, r->message);
      fputc('\n', out);
    }
  }
  if (e->reproduce) {
    fputs("  reproduce: ", out);
    yaml_string(out, e->reproduce);
    fputc('\n', out);
  }
  fputs("  ...\n", out);
}

void cmr_tap_summary(FILE *out, const cmr_run_info *info,
                     const cmr_entry *entries, size_t count) {
  const cmr_counts *c = &info->counts;
  bool any = false;
  for (size_t i = 0; i < count; i++) {
    cmr_verdict v = entries[i].result.verdict;
    if (v != CMR_FAIL && v != CMR_ERROR && v != CMR_XPASS)
      continue;
    if (!any)
      fputs("# Failures, each with a command that reproduces it alone:\n", out);
    any = true;
    fprintf(out, "#   %-5s %s\n#         %s\n", cmr_verdict_name(v),
            entries[i].id, entries[i].reproduce ? entries[i].reproduce : "");
  }
  fprintf(out,
          "# %s %s, profile %s: %zu passed, %zu failed, %zu skipped, "
          "%zu xfail, %zu xpass, %zu errors (%zu vectors, %.1f s)\n",
          info->adapter ? info->adapter->name : "?",
          info->adapter ? info->adapter->version : "",
          info->profile ? info->profile->name : "?", c->passed, c->failed,
          c->skipped, c->xfail, c->xpass, c->errors, c->total, info->seconds);
}

/* The length of the well-formed UTF-8 sequence at p (1 to 4), or 0 for a
 * stray byte, an overlong form, a surrogate or a code point past U+10FFFF:
 * what a strict parser (expat, Python) rejects. */
static size_t utf8_sequence(const unsigned char *p, uint32_t *code_point) {
  size_t len = p[0] < 0x80             ? 1
               : (p[0] & 0xe0) == 0xc0 ? 2
               : (p[0] & 0xf0) == 0xe0 ? 3
               : (p[0] & 0xf8) == 0xf0 ? 4
                                       : 0;
  if (len == 0)
    return 0;
  uint32_t cp = len == 1 ? p[0] : p[0] & (0x7f >> len);
  for (size_t k = 1; k < len; k++) {
    if ((p[k] & 0xc0) != 0x80) /* also stops at the terminating NUL */
      return 0;
    cp = (cp << 6) | (p[k] & 0x3f);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
      (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp < 0xe000))
    return 0;
  *code_point = cp;
  return len;
}

/* ---- JSON ---- */

static void json_string(FILE *out, const char *s) {
  if (!s) {
    fputs("null", out);
    return;
  }
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        fprintf(out, "\\u%04x", *p);
      else if (*p >= 0x80) {
        /* pass valid UTF-8 through, escape stray bytes */
        uint32_t cp;
        size_t len = utf8_sequence(p, &cp);
        if (len) {
          fwrite(p, 1, len, out);
          p += len - 1;
        } else {
          fprintf(out, "\\u%04x", *p);
        }
      } else {
        fputc(*p, out);
      }
    }
  }
  fputc('"', out);
}

static void json_strings(FILE *out, char *const *list, size_t count) {
  fputc('[', out);
  for (size_t i = 0; i < count; i++) {
    if (i)
      fputs(", ", out);
    json_string(out, list[i]);
  }
  fputc(']', out);
}

static void json_capabilities(FILE *out, uint64_t bits, bool features) {
  size_t n;
  const cmr_requirement *all = cmr_requirements(&n);
  fputc('[', out);
  bool first = true;
  for (size_t i = 0; i < n; i++) {
    uint64_t bit = features ? all[i].feature : all[i].capability;
    if (!bit || !(bits & bit))
      continue;
    if (!first)
      fputs(", ", out);
    first = false;
    json_string(out, all[i].name);
  }
  fputc(']', out);
}

bool cmr_write_json(const char *path, const cmr_run_info *info,
                    const cmr_entry *entries, size_t count) {
  FILE *out = fopen(path, "w");
  if (!out)
    return false;
  const cmr_counts *c = &info->counts;
  fputs("{\n  \"schema\": \"canmem-run/1\",\n", out);
  fputs("  \"runtime\": {\"name\": ", out);
  json_string(out, info->adapter->name);
  fputs(", \"version\": ", out);
  json_string(out, info->adapter->version);
  fputs(", \"adapter\": ", out);
  json_string(out, info->adapter->source);
  fputs(", \"capabilities\": ", out);
  json_capabilities(out, info->adapter->capabilities, false);
  fputs("},\n  \"profile\": {\"name\": ", out);
  json_string(out, info->profile->name);
  fputs(", \"features\": ", out);
  json_capabilities(out, info->profile->features, true);
  fprintf(out, ", \"readings\": %" PRIu64 "},\n", info->profile->readings);
  fputs("  \"expectations\": ", out);
  json_string(out, info->expect_path);
  fputs(",\n  \"started\": ", out);
  json_string(out, info->started);
  fprintf(out, ",\n  \"duration_s\": %.3f,\n", info->seconds);
  fprintf(out,
          "  \"summary\": {\"total\": %zu, \"passed\": %zu, \"failed\": %zu, "
          "\"skipped\": %zu, \"xfail\": %zu, \"xpass\": %zu, \"errors\": "
          "%zu},\n",
          c->total, c->passed, c->failed, c->skipped, c->xfail, c->xpass,
          c->errors);
  fputs("  \"vectors\": [", out);
  for (size_t i = 0; i < count; i++) {
    const cmr_entry *e = &entries[i];
    const cmr_result *r = &e->result;
    const cmr_vector *v = e->parsed ? &e->vector : NULL;
    fputs(i ? ",\n    {" : "\n    {", out);
    fputs("\"id\": ", out);
    json_string(out, e->id);
    fputs(", \"path\": ", out);
    json_string(out, e->path);
    fputs(", \"area\": ", out);
    json_string(out, v ? v->area : NULL);
    fputs(", \"title\": ", out);
    json_string(out, v ? v->title : NULL);
    fputs(",\n     \"rules\": ", out);
    json_strings(out, v ? v->rules : NULL, v ? v->rule_count : 0);
    fputs(", \"tags\": ", out);
    json_strings(out, v ? v->tags : NULL, v ? v->tag_count : 0);
    fputs(", \"requires\": ", out);
    json_strings(out, v ? v->requires : NULL, v ? v->require_count : 0);
    fputs(",\n     \"outcome\": ", out);
    json_string(out, cmr_verdict_name(r->verdict));
    fputs(", \"reason\": ", out);
    json_string(out, r->reason);
    fprintf(out,
            ", \"duration_s\": %.4f, \"steps_run\": %zu, "
            "\"steps_total\": %zu,\n     \"readings\": [",
            r->seconds, r->steps_run, v ? v->step_count : 0);
    for (size_t k = 0; k < r->reading_count; k++) {
      const cmr_step *step = &v->steps[r->readings[k].step];
      fprintf(out, "%s{\"step\": %zu, \"line\": %" PRIu32 ", \"reading\": ",
              k ? ", " : "", r->readings[k].step + 1, step->line);
      json_string(out, reading_name(e, k));
      fputc('}', out);
    }
    fputs("],\n     \"failure\": ", out);
    if (r->has_step && v && r->step < v->step_count &&
        (r->verdict == CMR_FAIL || r->verdict == CMR_XFAIL ||
         r->verdict == CMR_ERROR)) {
      const cmr_step *step = &v->steps[r->step];
      fprintf(out,
              "{\"step\": %zu, \"kind\": \"%s\", \"line\": %" PRIu32
              ", \"column\": %" PRIu32 ", \"expected\": ",
              r->step + 1, cmr_step_kind_name(step->kind), step->line,
              step->column);
      json_string(out, r->expected);
      fputs(", \"actual\": ", out);
      json_string(out, r->actual);
      fputs(", \"message\": ", out);
      json_string(out, r->message);
      fputc('}', out);
    } else {
      fputs("null", out);
    }
    fputs(", \"reproduce\": ", out);
    json_string(out, e->reproduce);
    fputc('}', out);
  }
  fputs("\n  ]\n}\n", out);
  return fclose(out) == 0;
}

/* ---- JUnit XML ---- */

/* Text for an element or an attribute: well-formed whatever s holds.
 * XML 1.0 allows no control character but tab, newline and carriage
 * return, not even as a reference, and no U+FFFE or U+FFFF; those and
 * bytes that are not UTF-8 become U+FFFD. Tab, newline and carriage return
 * are references, so attributes keep them. */
static void xml_text(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&apos;", out); break;
    case '\t': fputs("&#9;", out); break;
    case '\n': fputs("&#10;", out); break;
    case '\r': fputs("&#13;", out); break;
    default: {
      uint32_t cp = 0;
      size_t len = utf8_sequence(p, &cp);
      if (len == 0 || cp < 0x20 || cp == 0xfffe || cp == 0xffff) {
        fputs("\xef\xbf\xbd", out); /* U+FFFD, the replacement character */
      } else {
        fwrite(p, 1, len, out);
        p += len - 1;
      }
    }
    }
  }
}

bool cmr_write_junit(const char *path, const cmr_run_info *info,
                     const cmr_entry *entries, size_t count) {
  FILE *out = fopen(path, "w");
  if (!out)
    return false;
  const cmr_counts *c = &info->counts;
  size_t failures = c->failed + c->xpass;
  size_t skipped = c->skipped + c->xfail;
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
  fprintf(out,
          "<testsuites name=\"canmem\" tests=\"%zu\" failures=\"%zu\" "
          "errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
          c->total, failures, c->errors, skipped, info->seconds);
  fputs("  <testsuite name=\"", out);
  xml_text(out, info->adapter->name);
  fputc('/', out);
  xml_text(out, info->profile->name);
  fprintf(out,
          "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
          "skipped=\"%zu\" time=\"%.3f\" timestamp=\"",
          c->total, failures, c->errors, skipped, info->seconds);
  xml_text(out, info->started);
  fputs("\">\n    <properties>\n      <property name=\"runtime\" value=\"",
        out);
  xml_text(out, info->adapter->name);
  fputs("\"/>\n      <property name=\"runtime-version\" value=\"", out);
  xml_text(out, info->adapter->version);
  fputs("\"/>\n      <property name=\"profile\" value=\"", out);
  xml_text(out, info->profile->name);
  fputs("\"/>\n    </properties>\n", out);
  for (size_t i = 0; i < count; i++) {
    const cmr_entry *e = &entries[i];
    const cmr_result *r = &e->result;
    fputs("    <testcase classname=\"", out);
    xml_text(out, e->parsed && e->vector.area[0] ? e->vector.area : "vectors");
    fputs("\" name=\"", out);
    xml_text(out, e->id);
    if (title_of(e)[0]) {
      fputs(": ", out);
      xml_text(out, title_of(e));
    }
    fputs("\" file=\"", out);
    xml_text(out, e->path);
    fprintf(out, "\" time=\"%.4f\"", r->seconds);
    if (r->verdict == CMR_PASS) {
      fputs("/>\n", out);
      continue;
    }
    fputs(">\n", out);
    switch (r->verdict) {
    case CMR_SKIP:
    case CMR_XFAIL:
      fputs("      <skipped message=\"", out);
      if (r->verdict == CMR_XFAIL)
        fputs("expected to fail: ", out);
      xml_text(out, r->reason);
      fputs("\"/>\n", out);
      break;
    case CMR_FAIL:
    case CMR_XPASS:
    case CMR_ERROR:
      fprintf(out, "      <%s type=\"%s\" message=\"",
              r->verdict == CMR_ERROR ? "error" : "failure",
              cmr_verdict_name(r->verdict));
      xml_text(out, r->verdict == CMR_XPASS
                        ? "passed but the expectation file marks it xfail"
                        : r->reason);
      fputs("\">", out);
      if (r->expected) {
        fputs("expected: ", out);
        xml_text(out, r->expected);
        fputs("\nactual:   ", out);
        xml_text(out, r->actual);
        fputs("\nmessage:  ", out);
        xml_text(out, r->message);
        fputc('\n', out);
      } else if (r->reason) {
        xml_text(out, r->reason);
        fputc('\n', out);
      }
      fputs("reproduce: ", out);
      xml_text(out, e->reproduce);
      fprintf(out, "</%s>\n", r->verdict == CMR_ERROR ? "error" : "failure");
      break;
    default: break;
    }
    fputs("    </testcase>\n", out);
  }
  fputs("  </testsuite>\n</testsuites>\n", out);
  return fclose(out) == 0;
}
