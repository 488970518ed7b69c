/* lwIP configuration for glass.
 *
 * Threading model: NO_SYS=1 (the raw API), serialized by one lock. lwIP only ever sees one
 * execution context at a time because every call into it is made with net_core_lock()
 * held (net/port.c): the network thread (net/net.c) feeds received frames and runs the
 * timers, and threads calling net/socket.h enter lwIP directly under the same lock. This is
 * lwIP's "core locking" idea without the tcpip thread: a send costs a lock and a tcp_write,
 * not a mailbox round trip and two context switches per call as NO_SYS=0 with netconn would,
 * and the port needs no sys_sem/sys_mbox/sys_thread emulation. Callbacks run with the lock
 * held and only queue data and wake sleeping threads.
 *
 * Tuned for sending large responses (the trace download) over QEMU's user network:
 * window scaling, a 256 KiB send buffer per connection, and enough segments and pbufs.
 * Checksums are computed in software (no offloads negotiated with the device).
 */
#ifndef NET_LWIPOPTS_H
#define NET_LWIPOPTS_H

/* Execution model: see above. */
#define NO_SYS                  1
#define SYS_LIGHTWEIGHT_PROT    0
#define LWIP_NETCONN            0
#define LWIP_SOCKET             0
#define LWIP_TIMERS             1

/* Protocols: IPv4 + ARP + ICMP (ping answers) + TCP. No UDP, so no DHCP and no DNS. */
#define LWIP_IPV4               1
#define LWIP_IPV6               0
#define LWIP_ARP                1
#define LWIP_ETHERNET           1
#define LWIP_ICMP               1
#define LWIP_RAW                0
#define LWIP_UDP                0
#define LWIP_TCP                1
#define LWIP_DHCP               0
#define LWIP_AUTOIP             0
#define LWIP_IGMP               0
#define LWIP_DNS                0
#define IP_REASSEMBLY           0
#define IP_FRAG                 0
/* While the gateway's address is being resolved, a burst of forwarded connections queues
 * one SYN-ACK each: keep them all rather than 3 (QEMU's SYN retries are seconds apart). */
#define ARP_QUEUEING            1
#define ARP_QUEUE_LEN           64
#define MEMP_NUM_ARP_QUEUE      64

/* Memory: lwIP's own heap (tcp_write copies land here) and static pools, all in .bss. */
#define MEM_ALIGNMENT           8
#define MEM_SIZE                (4 * 1024 * 1024)
#define MEMP_NUM_PBUF           256
#define MEMP_NUM_TCP_PCB        256 /* TIME_WAIT pcbs are reused when this runs out */
#define MEMP_NUM_TCP_PCB_LISTEN 8
#define MEMP_NUM_TCP_SEG        4096
#define MEMP_NUM_SYS_TIMEOUT    (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 2)
#define PBUF_POOL_SIZE          1024 /* received frames are copied into these */
#define PBUF_POOL_BUFSIZE       1536

/* TCP tuning. The receive window only limits what the host sends us (requests, PUT
 * bodies); the send side is what the trace download needs. */
#define TCP_MSS                 1460
#define LWIP_WND_SCALE          1
#define TCP_RCV_SCALE           3
#define TCP_WND                 (256 * 1024)
#define TCP_SND_BUF             (256 * 1024)
#define TCP_SND_QUEUELEN        (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT            (16 * TCP_MSS) /* must stay below 64 KiB */
#define TCP_OVERSIZE            TCP_MSS
#define TCP_QUEUE_OOSEQ         1
#define TCP_LISTEN_BACKLOG      1
#define TCP_DEFAULT_LISTEN_BACKLOG 64
#define LWIP_TCP_KEEPALIVE      0
#define LWIP_CALLBACK_API       1
#define SO_REUSE                1 /* listeners rebind over TIME_WAIT connections */

/* Checksums in software, both directions; algorithm 3 sums 32 bits at a time. */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 0
#define LWIP_CHKSUM_ALGORITHM   3

/* Netif: one interface, configured statically by net/net.c. */
#define LWIP_SINGLE_NETIF       1
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_HAVE_LOOPIF        0
#define LWIP_NETIF_LOOPBACK     0

/* Every dropped packet is counted (lwip_stats), but nothing is printed. */
#define LWIP_STATS              1
#define LWIP_STATS_DISPLAY      0
#define LINK_STATS              1
#define ETHARP_STATS            1
#define IP_STATS                1
#define ICMP_STATS              1
#define TCP_STATS               1
#define MEM_STATS               1
#define MEMP_STATS              1

#endif
