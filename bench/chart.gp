# bench/chart.gp: results.png, ptrace1's figure over bpftrace's for the key
# measures (a bar each) and the target for each (a diamond).  bench/report.sh
# sets data (rows of label, ratio, target ratio; NaN for what did not run)
# and out.
set terminal pngcairo noenhanced size 1200,640 font "sans,10"
set output out
set datafile separator "\t"
set datafile missing "NaN"
set title "ptrace1 ÷ bpftrace: lower is better; the diamonds are the targets"
# The range spans every bar and target, with room above for the labels.
stats data using ($2 > 0 ? $2 : NaN) nooutput
lo = STATS_min
hi = STATS_max
stats data using ($3 > 0 ? $3 : NaN) nooutput
lo = (STATS_min < lo ? STATS_min : lo) / 2
hi = (STATS_max > hi ? STATS_max : hi) * 3
set yrange [lo < 0.01 ? lo : 0.01 : hi > 2 ? hi : 2]
set logscale y
set format y "%g"
set ylabel "ratio (log scale)"
set grid ytics
set xtics rotate by -35 left nomirror
set bmargin 9
set style fill solid 0.6 border -1
set boxwidth 0.6
set key outside right top
plot data using 0:2:xtic(1) with boxes lc rgb "#4878a8" title "measured", \
	'' using 0:2:(sprintf("%.2g", $2)) with labels offset 0,0.8 notitle, \
	'' using 0:3 with points pt 13 ps 2 lc rgb "#c03030" title "target", \
	1 with lines dt 2 lc rgb "#808080" title "parity"
