# Mixtape: one image for every role (npm start, mixtape bot, mixtape worker).
FROM node:22-bookworm-slim
# ffmpeg encodes the audio (Ogg/Opus, MP3).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
RUN chown -R node:node /app
USER node
ENV NODE_ENV=production
CMD ["node", "src/bot/main.ts"]
