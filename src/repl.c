// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive prompt's loop: lines become entries (a program, when it is
 * whole, or a dot-command), from readline on a terminal or from a pipe.
 * Signals are read from a signalfd, never handled asynchronously: Ctrl-C at
 * the prompt clears the line; while a program runs, run_source reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "config.h"
#include "parse.h"
#include "repl.h"
#include "repl_impl.h"

#define PROMPT "ptrace1> "
#define PROMPT_MORE "...> "
#define HISTORY_FILE ".ptrace1_history"
#define HISTORY_MAX 1000

/* Readline's line handler has no argument: the line it was given. */
static char *line_read;
static bool line_done;

static void block_tstp(int how)
{
	sigset_t tstp;

	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	sigprocmask(how, &tstp, NULL);
}

void repl_run_program(struct repl *r, const char *text, const struct run_opts *o)
{
	struct source src = { .name = "repl", .text = text, .len = strlen(text) };

	/* Ctrl-Z stops a running program at once, as it would one run with -e. */
	if (r->tty)
		block_tstp(SIG_UNBLOCK);
	if (run_source(&src, o))
		r->failed = true;
	if (r->tty)
		block_tstp(SIG_BLOCK);
}

static char *history_path(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;
	char *path;

	if (!home || !*home) {
		pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || asprintf(&path, "%s/" HISTORY_FILE, home) < 0)
		return NULL;
	return path;
}

/* Append the newest entry to the history file, which only its owner may read. */
static void history_save(struct repl *r)
{
	int fd;

	if (!r->history)
		return;
	fd = open(r->history, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	close(fd);
	if (append_history(1, r->history) || history_truncate_file(r->history, HISTORY_MAX))
		fprintf(stderr, "ptrace1: warning: cannot write %s\n", r->history);
}

static void history_note(struct repl *r, const char *text)
{
	if (!r->tty)
		return;
	add_history(text);
	history_save(r);
}

static void entry_reset(struct repl *r)
{
	sb_free(&r->entry);
	r->comp.pending = NULL;
	r->comp.pending_len = 0;
}

/* A whole program: run it, remember it. */
static void run_entry(struct repl *r)
{
	char *text;

	/* Without its last '\n': an error at the end points after the last character. */
	r->entry.buf[--r->entry.len] = '\0';
	text = sb_steal(&r->entry);
	entry_reset(r);
	if (!text) {
		fprintf(stderr, "ptrace1: %s\n", strerror(ENOMEM));
		r->failed = true;
		return;
	}
	history_note(r, text);
	if (completer_note(&r->comp, text, strlen(text)))
		fprintf(stderr, "ptrace1: warning: %s: TAB will not offer this program's maps\n",
			strerror(ENOMEM));
	free(r->last);
	r->last = text;
	repl_run_program(r, text, &r->o);
}

/* One line typed or read: a dot-command, or more of a program. */
static void handle_line(struct repl *r, const char *line)
{
	struct source src = { .name = "repl" };
	size_t len = strlen(line);
	char *cmd;

	if (!r->entry.len && line[strspn(line, " \t")] == '.') {
		line += strspn(line, " \t");
		len = strlen(line);
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		cmd = strndup(line, len);
		if (!cmd) {
			fprintf(stderr, "ptrace1: %s\n", strerror(ENOMEM));
			r->failed = true;
			return;
		}
		history_note(r, cmd);
		repl_command(r, cmd);
		free(cmd);
		return;
	}
	sb_add(&r->entry, line, len);
	sb_putc(&r->entry, '\n');
	if (r->entry.err) {
		fprintf(stderr, "ptrace1: %s\n", strerror(ENOMEM));
		entry_reset(r);
		r->failed = true;
		return;
	}
	src.text = r->entry.buf;
	src.len = r->entry.len;
	switch (parse_extent(&src)) {
	case PARSE_EMPTY:
		entry_reset(r);
		break;
	case PARSE_PARTIAL:
		r->comp.pending = r->entry.buf;
		r->comp.pending_len = r->entry.len;
		break;
	case PARSE_WHOLE:
		run_entry(r);
		break;
	}
}

/* The end of the input: a program left unfinished is run, to say what it lacks. */
static void handle_eof(struct repl *r)
{
	if (r->entry.len)
		run_entry(r);
	r->quit = true;
}

static void on_line(char *line)
{
	line_read = line;
	line_done = true;
	/* The terminal is back to normal while the line is handled. */
	rl_callback_handler_remove();
}

static void prompt(struct repl *r)
{
	rl_callback_handler_install(r->entry.len ? PROMPT_MORE : PROMPT, on_line);
}

/*
 * Readline's own getc waits in pselect with a signal mask of its own, which
 * would unblock SIGINT: read plainly; poll said a byte is there.
 */
static int read_char(FILE *in)
{
	unsigned char c;
	ssize_t n;

	do
		n = read(fileno(in), &c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? c : EOF;
}

static void tty_input(struct repl *r)
{
	rl_callback_read_char();
	if (!line_done)
		return;
	line_done = false;
	if (!line_read) {
		handle_eof(r);
		return;
	}
	handle_line(r, line_read);
	free(line_read);
	line_read = NULL;
	if (!r->quit)
		prompt(r);
}

static void pipe_input(struct repl *r)
{
	char buf[4096], *nl;
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	size_t used = 0;

	if (n < 0 && errno == EINTR)
		return;
	if (n < 0)
		fprintf(stderr, "ptrace1: reading standard input: %s\n", strerror(errno));
	if (n > 0)
		sb_add(&r->in, buf, (size_t)n);
	if (r->in.err) {
		fprintf(stderr, "ptrace1: %s\n", strerror(ENOMEM));
		r->failed = true;
		r->quit = true;
		return;
	}
	while (!r->quit && used < r->in.len && (nl = memchr(r->in.buf + used, '\n', r->in.len - used))) {
		*nl = '\0';
		handle_line(r, r->in.buf + used);
		used = (size_t)(nl - r->in.buf) + 1;
	}
	/* The rest waits for its '\n', or for the end of the input. */
	if (used) {
		memmove(r->in.buf, r->in.buf + used, r->in.len - used);
		r->in.len -= used;
	}
	if (n <= 0 && !r->quit) {
		if (r->in.len) {
			sb_putc(&r->in, '\0');
			handle_line(r, r->in.buf);
		}
		handle_eof(r);
	}
}

/* Ctrl-C at the prompt: the line and the program begun are dropped. */
static void interrupt(struct repl *r)
{
	rl_echo_signal_char(SIGINT);
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_callback_handler_remove();
	fputc('\n', rl_outstream);
	entry_reset(r);
	prompt(r);
}

/*
 * Ctrl-Z at the prompt: the terminal as the shell expects it, the default
 * action (a stop, unless no shell is there to continue us), then the line
 * as it was.
 */
static void suspend(struct repl *r)
{
	char *line = rl_copy_text(0, rl_end);
	int point = rl_point;

	rl_callback_handler_remove();
	raise(SIGTSTP);
	block_tstp(SIG_UNBLOCK);
	block_tstp(SIG_BLOCK);
	prompt(r);
	if (line) {
		rl_replace_line(line, 0);
		rl_point = point;
		rl_redisplay();
		free(line);
	}
}

static void handle_signals(struct repl *r)
{
	struct signalfd_siginfo si;

	while (read(r->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH) {
			rl_resize_terminal();
		} else if (si.ssi_signo == SIGTSTP) {
			suspend(r);
		} else if (si.ssi_signo == SIGINT && r->tty) {
			interrupt(r);
		} else {
			/* SIGTERM, or SIGINT with no one at a terminal to clear a line. */
			if (r->tty)
				fputc('\n', rl_outstream);
			r->quit = true;
		}
	}
}

static void tty_setup(struct repl *r)
{
	rl_readline_name = "ptrace1";
	rl_getc_function = read_char;
	/* Signals go to the signalfd: readline installs no handlers. */
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	/* Prompts are no program output: to stderr when stdout is redirected. */
	rl_outstream = isatty(STDOUT_FILENO) ? stdout : stderr;
	completer_attach(&r->comp);
	using_history();
	/* Timestamp lines ("#1700000000") keep a program of many lines one entry. */
	history_comment_char = '#';
	history_write_timestamps = 1;
	history_multiline_entries = 1;
	r->history = history_path();
	if (r->history)
		read_history(r->history);
	if (!r->o.quiet)
		fprintf(rl_outstream, "ptrace1 %s: type a program to run it, Ctrl-C to stop it; "
			".help for more, Ctrl-D to leave.\n", PACKAGE_VERSION);
	prompt(r);
}

static void tty_teardown(void)
{
	/* The terminal as it was, whether a line was being typed or not. */
	rl_callback_handler_remove();
	free(line_read);
	line_read = NULL;
	line_done = false;
	completer_attach(NULL);
	clear_history();
}

int repl_run(const struct run_opts *o)
{
	struct repl r = { .o = *o, .sig_fd = -1 };
	sigset_t mask, old;
	struct pollfd fds[2];

	r.tty = isatty(STDIN_FILENO);
	completer_init(&r.comp, repl_command_at);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (r.tty) {
		sigaddset(&mask, SIGWINCH);
		sigaddset(&mask, SIGTSTP);
	}
	sigprocmask(SIG_BLOCK, &mask, &old);
	r.sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (r.sig_fd < 0) {
		fprintf(stderr, "ptrace1: cannot read signals: %s\n", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		completer_free(&r.comp);
		return 1;
	}
	if (r.tty)
		tty_setup(&r);
	fds[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = r.sig_fd, .events = POLLIN };
	while (!r.quit) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "ptrace1: waiting for input: %s\n", strerror(errno));
			r.failed = true;
			break;
		}
		if (fds[1].revents)
			handle_signals(&r);
		else if (fds[0].revents && r.tty)
			tty_input(&r);
		else if (fds[0].revents)
			pipe_input(&r);
	}
	if (r.tty)
		tty_teardown();
	close(r.sig_fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	sb_free(&r.entry);
	sb_free(&r.in);
	free(r.last);
	free(r.history);
	completer_free(&r.comp);
	return r.failed ? 1 : 0;
}
