/*
 * Terminal columns of UTF-8 text, for the aligned tables of the command
 * line: Chinese and other East Asian wide characters take two columns.
 */
#ifndef CAIRN_TEXTWIDTH_H
#define CAIRN_TEXTWIDTH_H

#include <stdbool.h>
#include <stdio.h>

/* Returns the display width of UTF-8 text s: two columns for East Asian
 * wide and full-width characters (Unicode property East_Asian_Width W or
 * F), none for combining marks, one for every other character. */
int text_width(const char *s);

/* Writes s to out padded with spaces to width columns: after s when
 * left-aligned, before it when right. Text wider than width is written
 * whole. */
void print_cell(FILE *out, const char *s, int width, bool right);

#endif
