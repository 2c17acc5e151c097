import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/global.css';
import './ui/touch.css';

mount(App, { target: document.getElementById('app')! });
