/* A pipe's stream; private to capture.c. */
#ifndef TL_CAPTURE_PIPE_H
#define TL_CAPTURE_PIPE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The pipe a stream reads, and the stop pipe that ends its reads. */
struct tl_pipe;

/* A stream for pcap_fopen_offline() or our pcapng reader over standard
 * input ("-") or a path that is a pipe, FIFO, socket or device; NULL for a
 * regular file (or if none can be made: libpcap then opens the path
 * itself). The stream owns *pipe: closing it (pcap_close() does) frees
 * it. */
FILE *tl_pipe_open(struct tl_pipe **pipe, const char *path);
/* Reads the first n bytes (8 at most) of the pipe into b before anything
 * else reads it (to tell pcapng from pcap); the stream still reads them
 * first. False if the pipe ended sooner. */
bool tl_pipe_peek(struct tl_pipe *pipe, uint8_t *b, size_t n);
/* Ends the stream's read in progress and every later one (an error), so
 * that a thread reading it stops without waiting for the writer. */
void tl_pipe_wake(struct tl_pipe *pipe);

#endif
