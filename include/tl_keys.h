/* The keys of the full-screen view, for its help screen and --help. */
#ifndef TL_KEYS_H
#define TL_KEYS_H

#include <stdio.h>

extern const char *const tl_key_help[];
extern const unsigned tl_key_help_lines;

/* Prints the table as plain text. */
void tl_key_help_print(FILE *out);

#endif
