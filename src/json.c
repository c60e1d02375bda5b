// SPDX-License-Identifier: GPL-2.0
#include "json.h"

void json_string(struct strbuf *out, const char *s, size_t len)
{
	sb_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			sb_puts(out, "\\\"");
			break;
		case '\\':
			sb_puts(out, "\\\\");
			break;
		case '\n':
			sb_puts(out, "\\n");
			break;
		case '\t':
			sb_puts(out, "\\t");
			break;
		case '\r':
			sb_puts(out, "\\r");
			break;
		default:
			/* Other control bytes escaped; bytes >= 0x80 pass as the UTF-8 they may be. */
			if (c < 0x20 || c == 0x7f)
				sb_printf(out, "\\u%04x", c);
			else
				sb_putc(out, (char)c);
		}
	}
	sb_putc(out, '"');
}
