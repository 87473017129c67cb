/* -T svg: the follow section under the ladder (render_svg_follow.c). */
#ifndef TL_RENDER_SVG_FOLLOW_H
#define TL_RENDER_SVG_FOLLOW_H

#include <stdio.h>

#include "tl_picture.h"

/* Lines shown at most per connection; past them a line says how many
 * more there are and where to read them all. */
#define TL_SVG_FOLLOW_LINES 4000u

/* The height the follow sections of src take in a picture width pixels
 * wide (0 when there are none). */
double tl_svg_follow_height(const struct tl_picture_src *src, double width);
/* Writes them from y = top down, as SVG elements inside the picture. */
void tl_svg_follow(FILE *f, const struct tl_picture_src *src, double top,
                   double width);

#endif
