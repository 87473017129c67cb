/* A pipe read by a thread of its own; private to capture.c. */
#ifndef TL_CAPTURE_PIPE_H
#define TL_CAPTURE_PIPE_H

#include <stdbool.h>
#include <stdio.h>
#include <pcap/pcap.h>

#include "tl_capture.h"

/* The stream libpcap reads, the stop pipe that ends a read, and once
 * started the thread and its queue. */
struct tl_pipe;

/* A stream for pcap_fopen_offline() over standard input ("-") or a path
 * that is a pipe, FIFO, socket or device; NULL for a regular file (or if
 * none can be made: libpcap then opens the path itself). The stream owns
 * *pipe: closing it (pcap_close() does) frees it. */
FILE *tl_pipe_open(struct tl_pipe **pipe, const char *path);
/* Reads the first n bytes (8 at most) of the pipe into b before anything
 * else reads it (to tell pcapng from pcap); the stream still reads them
 * first. False if the pipe ended sooner. */
bool tl_pipe_peek(struct tl_pipe *pipe, uint8_t *b, size_t n);
struct tl_pcapng;
/* As tl_pipe_start(), for a stream our pcapng reader reads (it owns the
 * stream); frames then come from tl_pipe_next_pcapng(). */
bool tl_pipe_start_pcapng(struct tl_pipe *pipe, struct tl_pcapng *ng);
enum tl_next tl_pipe_next_pcapng(struct tl_pipe *pipe,
                                 struct tl_frame *frame, uint32_t *ifindex);
/* Starts the thread that reads pcap, once pcap_fopen_offline() has read
 * the header; false if it cannot be made (the caller then reads pcap as a
 * file, and the stream still works). */
bool tl_pipe_start(struct tl_pipe *pipe, pcap_t *pcap);
/* The next frame, valid until the next call; TL_NEXT_TIMEOUT when none
 * came within a little while, TL_NEXT_ERROR with tl_pipe_error(). */
enum tl_next tl_pipe_next(struct tl_pipe *pipe,
                          const struct pcap_pkthdr **hdr,
                          const u_char **data);
const char *tl_pipe_error(const struct tl_pipe *pipe);
/* From a signal handler: a flag only; tl_pipe_next() then ends. */
void tl_pipe_break(struct tl_pipe *pipe);
/* Ends the thread and frees its queue, never waiting for the writer;
 * before pcap_close() (the thread reads through pcap). */
void tl_pipe_stop(struct tl_pipe *pipe);

#endif
