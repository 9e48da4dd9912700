#!/usr/bin/env bash
# Generates the demo school's small media files into database/demo/media/ (committed; run again only to
# change them). Needs ffmpeg and a CJK font: apt-get install ffmpeg fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/../.."
out=database/demo/media
mkdir -p "$out"
font=$(fc-match -f '%{file}' 'Noto Sans CJK SC:style=Bold')

# Lesson videos: 6 s, 640x360, H.264 + AAC, fast start so players can begin before the whole file arrives.
video() { # name, colour, caption
  ffmpeg -nostdin -y -loglevel error -f lavfi -i "color=c=$2:s=640x360:d=6:r=24" -f lavfi -i "sine=frequency=440:duration=6" \
    -vf "drawtext=fontfile=$font:text='$3':fontcolor=white:fontsize=40:x=(w-text_w)/2:y=(h-text_h)/2-20,drawtext=fontfile=$font:text='%{pts\:hms}':fontcolor=white@0.8:fontsize=24:x=(w-text_w)/2:y=h-60" \
    -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 34 -preset veryslow -c:a aac -b:a 48k -ac 1 -movflags +faststart -shortest "$out/$1.mp4"
}
video lesson-office '#2f6fed' '职场技能 · 示例课时'
video lesson-exam '#0f9d74' '考试提升 · 示例课时'
video lesson-hobby '#d9822b' '兴趣爱好 · 示例课时'
# The office video's 标清 rendition (the demo's quality switch): the same recording at 320x180.
ffmpeg -nostdin -y -loglevel error -i "$out/lesson-office.mp4" -vf scale=320:180 -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 38 -preset veryslow \
  -c:a aac -b:a 32k -ac 1 -movflags +faststart "$out/lesson-office-sd.mp4"

# Lesson audio: 8 s, mono AAC in m4a (plays in <audio> and the background audio manager).
audio() { # name, frequency
  ffmpeg -nostdin -y -loglevel error -f lavfi -i "sine=frequency=$2:duration=8" -af "volume=0.3,afade=t=in:d=1,afade=t=out:st=7:d=1" -c:a aac -b:a 32k -ac 1 "$out/$1.m4a"
}
audio lesson-talk-1 330
audio lesson-talk-2 392

# Images: course covers 750x420, lecturer avatars 240x240, home banners 750x300 (JPEG).
image() { # name, size, colour, caption, font size
  ffmpeg -nostdin -y -loglevel error -f lavfi -i "color=c=$3:s=$2:d=1" -frames:v 1 \
    -vf "drawtext=fontfile=$font:text='$4':fontcolor=white:fontsize=$5:x=(w-text_w)/2:y=(h-text_h)/2" -q:v 6 "$out/$1.jpg"
}
while IFS='|' read -r name colour caption; do
  image "cover-$name" 750x420 "$colour" "$caption" 56
done <<'COVERS'
excel-basics|#2f6fed|Excel 高效办公
excel-advanced|#1d4fc4|数据透视与函数
ppt-camp|#e4572e|PPT 汇报 7 天
talk-persuade|#7b5ea7|说服与反馈
talk-meeting|#5b3f8c|向上管理
kaoyan-reading|#0f9d74|考研英语阅读
kaoyan-words|#0b7a5a|词汇 30 天
ielts-live|#17a2b8|雅思口语直播
gongkao-intro|#4a8f29|行测入门
photo-phone|#d9822b|手机摄影入门
photo-portrait|#b5651d|人像用光
pen-camp|#444444|硬笔练字 21 天
brush-kaishu|#7a4b2a|楷书入门
guitar|#c0392b|吉他弹唱
COVERS
while IFS='|' read -r name colour caption; do
  image "avatar-$name" 240x240 "$colour" "$caption" 96
done <<'AVATARS'
wang|#2f6fed|王
chen|#7b5ea7|陈
li|#0f9d74|李
zhao|#d9822b|赵
zhou|#444444|周
AVATARS
image banner-new-term 750x300 '#2f6fed' '新学期 · 职场充电季' 52
image banner-camps 750x300 '#0f9d74' '21 天打卡营 · 坚持就有收获' 48
image banner-members 750x300 '#d9822b' '会员畅学 · 百门好课' 52
ls -la "$out" | awk '{s+=$5} END {print s " bytes in total"}'
